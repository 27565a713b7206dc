"""The words of the notifications on events, in Finnish (the default), Swedish and English.

Each notice is a subject and a Markdown body with ``{placeholders}``; the mail layout (``mail.html.j2`` and
``mail.txt.j2``, Jinja2, autoescaped) gives it its HTML and plain-text parts, the link and the footer.
"""

from __future__ import annotations

from typing import NamedTuple


class Words(NamedTuple):
    subject: str
    body: str
    action: str


NOTICES: dict[str, dict[str, Words]] = {
    "grant_round_opened": {
        "fi": Words("Avustushaku on avautunut ({year})",
                    "Yhdistyksellesi sopiva avustushaku vuodelle {year} on nyt auki.{closes}", "Katso haku"),
        "sv": Words("En bidragsansökan har öppnats ({year})",
                    "En bidragsansökan för {year} som passar din förening är nu öppen.{closes}", "Se ansökan"),
        "en": Words("A grant round has opened ({year})",
                    "A grant round for {year} that suits your association is now open.{closes}", "See the round"),
    },
    "application_received": {
        "fi": Words("Avustushakemus vastaanotettu",
                    "Yhdistyksesi avustushakemus ({requested}) on vastaanotettu.", "Avaa hakemus"),
        "sv": Words("Bidragsansökan mottagen",
                    "Din förenings bidragsansökan ({requested}) har tagits emot.", "Öppna ansökan"),
        "en": Words("Grant application received",
                    "Your association's grant application ({requested}) has been received.", "Open the application"),
    },
    "application_returned": {
        "fi": Words("Avustushakemus palautettu täydennettäväksi",
                    "Yhdistyksesi avustushakemus on palautettu täydennettäväksi. Katso pyyntö hakemukselta.",
                    "Avaa hakemus"),
        "sv": Words("Bidragsansökan returnerad för komplettering",
                    "Din förenings bidragsansökan har returnerats för komplettering. Se begäran i ansökan.",
                    "Öppna ansökan"),
        "en": Words("Grant application returned for completion",
                    "Your association's grant application was returned for completion. See the request on it.",
                    "Open the application"),
    },
    "decision_granted": {
        "fi": Words("Avustuspäätös: avustus myönnetty",
                    "Yhdistyksellesi on myönnetty avustusta {approved} (haettu {requested}).", "Avaa päätös"),
        "sv": Words("Bidragsbeslut: bidrag beviljat",
                    "Din förening har beviljats bidrag på {approved} (ansökt {requested}).", "Öppna beslutet"),
        "en": Words("Grant decision: grant awarded",
                    "Your association was awarded a grant of {approved} (applied for {requested}).",
                    "Open the decision"),
    },
    "decision_declined": {
        "fi": Words("Avustuspäätös",
                    "Yhdistyksellesi ei tällä kertaa myönnetty avustusta. Perustelut ovat päätöksellä.",
                    "Avaa päätös"),
        "sv": Words("Bidragsbeslut",
                    "Din förening beviljades inte bidrag denna gång. Motiveringen finns i beslutet.",
                    "Öppna beslutet"),
        "en": Words("Grant decision",
                    "Your association was not awarded a grant this time. The reasons are on the decision.",
                    "Open the decision"),
    },
    "booking_confirmed": {
        "fi": Words("Varaus vahvistettu", "Yhdistyksesi varaus on vahvistettu.\n\n{slots}", "Avaa varaus"),
        "sv": Words("Bokningen bekräftad", "Din förenings bokning har bekräftats.\n\n{slots}", "Öppna bokningen"),
        "en": Words("Booking confirmed", "Your association's booking is confirmed.\n\n{slots}", "Open the booking"),
    },
    "booking_rejected": {
        "fi": Words("Varauspyyntöä ei hyväksytty",
                    "Yhdistyksesi varauspyyntöä ei hyväksytty. Perustelu on varauksella.\n\n{slots}", "Avaa varaus"),
        "sv": Words("Bokningsförfrågan avslogs",
                    "Din förenings bokningsförfrågan avslogs. Motiveringen finns i bokningen.\n\n{slots}",
                    "Öppna bokningen"),
        "en": Words("Booking request declined",
                    "Your association's booking request was declined. The reason is on the booking.\n\n{slots}",
                    "Open the booking"),
    },
    "booking_cancelled": {
        "fi": Words("Varaus peruttu", "Yhdistyksesi varauksesta on peruttu nämä ajat:\n\n{slots}", "Avaa varaus"),
        "sv": Words("Bokningen avbokad", "Dessa tider i din förenings bokning har avbokats:\n\n{slots}",
                    "Öppna bokningen"),
        "en": Words("Booking cancelled", "These times of your association's booking were cancelled:\n\n{slots}",
                    "Open the booking"),
    },
    "registration_confirmed": {
        "fi": Words("Ilmoittautuminen vahvistettu",
                    "Yhdistyksesi ilmoittautuminen ({participants} osallistujaa) on vahvistettu.", "Avaa tapahtuma"),
        "sv": Words("Anmälan bekräftad",
                    "Din förenings anmälan ({participants} deltagare) är bekräftad.", "Öppna evenemanget"),
        "en": Words("Registration confirmed",
                    "Your association's registration ({participants} participants) is confirmed.", "Open the event"),
    },
    "registration_waitlisted": {
        "fi": Words("Ilmoittautuminen jonossa",
                    "Tapahtuma on täynnä: yhdistyksesi ilmoittautuminen on jonossa sijalla {position}.",
                    "Avaa tapahtuma"),
        "sv": Words("Anmälan på väntelistan",
                    "Evenemanget är fullt: din förenings anmälan står på plats {position} i kön.", "Öppna evenemanget"),
        "en": Words("Registration waitlisted",
                    "The event is full: your association's registration is number {position} on the waiting list.",
                    "Open the event"),
    },
    "registration_promoted": {
        "fi": Words("Jonosta paikka tapahtumaan",
                    "Paikkoja vapautui: yhdistyksesi {participants} osallistujaa mahtuvat mukaan.", "Avaa tapahtuma"),
        "sv": Words("Plats från väntelistan",
                    "Platser blev lediga: din förenings {participants} deltagare får plats.", "Öppna evenemanget"),
        "en": Words("A place from the waiting list",
                    "Places came free: your association's {participants} participants have their seats.",
                    "Open the event"),
    },
    "registration_cancelled": {
        "fi": Words("Ilmoittautuminen peruttu",
                    "Yhdistyksesi ilmoittautuminen ({participants} osallistujaa) on peruttu.", "Avaa tapahtuma"),
        "sv": Words("Anmälan avbokad",
                    "Din förenings anmälan ({participants} deltagare) har avbokats.", "Öppna evenemanget"),
        "en": Words("Registration cancelled",
                    "Your association's registration ({participants} participants) was cancelled.",
                    "Open the event"),
    },
    "survey_event": {
        "fi": Words("Palautekysely: miten tilaisuus onnistui?",
                    "Kiitos osallistumisesta. Kerro mielipiteesi tilaisuudesta: vastaukset ovat nimettömiä, ja "
                    "linkillä voi vastata kerran.{closes}", "Vastaa kyselyyn"),
        "sv": Words("Responsenkät: hur lyckades evenemanget?",
                    "Tack för att du deltog. Berätta vad du tyckte om evenemanget: svaren är anonyma, och "
                    "länken kan användas för att svara en gång.{closes}", "Svara på enkäten"),
        "en": Words("Feedback survey: how was the event?",
                    "Thank you for taking part. Tell us what you thought of the event: the answers are anonymous, "
                    "and the link answers once.{closes}", "Answer the survey"),
    },
    "survey_yearly": {
        "fi": Words("Arvioi vuoden yhdistysyhteistyötä",
                    "Porin kaupunki kysyy yhdistyksiltä, miten yhdistysyhteistyö onnistui. Vastaukset ovat "
                    "nimettömiä, ja linkillä voi vastata kerran yhdistyksenne puolesta.{closes}",
                    "Vastaa kyselyyn"),
        "sv": Words("Utvärdera årets föreningssamarbete",
                    "Björneborgs stad frågar föreningarna hur föreningssamarbetet lyckades. Svaren är anonyma, "
                    "och länken kan användas för att svara en gång för er förening.{closes}", "Svara på enkäten"),
        "en": Words("Evaluate this year's cooperation with associations",
                    "The City of Pori asks the associations how the cooperation went. The answers are anonymous, "
                    "and the link answers once for your association.{closes}", "Answer the survey"),
    },
    "usage_report_due": {
        "fi": Words("Muistutus: avustuksen käyttöselvitys",
                    "Yhdistyksesi saaman avustuksen käyttöselvitys on palautettava viimeistään {due}.",
                    "Avaa käyttöselvitys"),
        "sv": Words("Påminnelse: redovisning av bidraget",
                    "Redovisningen av hur din förening använt bidraget ska lämnas senast {due}.",
                    "Öppna redovisningen"),
        "en": Words("Reminder: the grant's usage report",
                    "The report on how your association used its grant is due by {due}.", "Open the usage report"),
    },
    "usage_report_overdue": {
        "fi": Words("Käyttöselvitys on myöhässä",
                    "Yhdistyksesi avustuksen käyttöselvitys olisi pitänyt palauttaa {due} mennessä. Palauta se "
                    "mahdollisimman pian: myöhässä oleva selvitys vaikuttaa uusiin avustushakemuksiin.",
                    "Avaa käyttöselvitys"),
        "sv": Words("Redovisningen av bidraget är försenad",
                    "Redovisningen av din förenings bidrag skulle ha lämnats senast {due}. Lämna den så snart som "
                    "möjligt: en försenad redovisning påverkar nya bidragsansökningar.", "Öppna redovisningen"),
        "en": Words("The usage report is overdue",
                    "The report on your association's grant was due by {due}. Please submit it as soon as possible: "
                    "an overdue report weighs on new grant applications.", "Open the usage report"),
    },
    "partnership_discussion_due": {
        "fi": Words("Kumppanuuskeskustelun aika",
                    "Yhdistyksesi kumppanuussopimuksen vuosittainen kumppanuuskeskustelu on käytävä viimeistään "
                    "{due}. Sovi aika sopimuksen yhteyshenkilön kanssa.", "Avaa keskustelu"),
        "sv": Words("Dags för partnerskapssamtalet",
                    "Det årliga partnerskapssamtalet om din förenings partnerskapsavtal ska hållas senast {due}. "
                    "Kom överens om en tid med avtalets kontaktperson.", "Öppna samtalet"),
        "en": Words("Time for the partnership discussion",
                    "The yearly discussion of your association's partnership agreement is due by {due}. Agree on a "
                    "time with the agreement's contact person.", "Open the discussion"),
    },
    "season_allocation_published": {
        "fi": Words("Vakiovuorot on jaettu",
                    "Kauden vakiovuorojen jako on julkaistu. Yhdistyksellesi myönnettiin nämä vuorot:\n\n{slots}",
                    "Katso vuorojako"),
        "sv": Words("De fasta turerna är fördelade",
                    "Fördelningen av säsongens fasta turer är publicerad. Din förening fick dessa turer:\n\n{slots}",
                    "Se fördelningen"),
        "en": Words("The season's regular slots are allocated",
                    "The allocation of the season's regular weekly slots is published. Your association was given "
                    "these slots:\n\n{slots}", "See the allocation"),
    },
    "season_allocation_none": {
        "fi": Words("Vakiovuorot on jaettu",
                    "Kauden vakiovuorojen jako on julkaistu. Yhdistyksesi toiveisiin ei tällä kertaa voitu vastata.",
                    "Katso vuorojako"),
        "sv": Words("De fasta turerna är fördelade",
                    "Fördelningen av säsongens fasta turer är publicerad. Din förenings önskemål kunde inte "
                    "uppfyllas denna gång.", "Se fördelningen"),
        "en": Words("The season's regular slots are allocated",
                    "The allocation of the season's regular weekly slots is published. Your association's wishes "
                    "could not be met this time.", "See the allocation"),
    },
    "event_scheduled": {
        "fi": Words("Uusi tilaisuus: {title}", "{kind}: {title}, {when}{online}.", "Katso tilaisuus"),
        "sv": Words("Nytt evenemang: {title}", "{kind}: {title}, {when}{online}.", "Se evenemanget"),
        "en": Words("New event: {title}", "{kind}: {title}, {when}{online}.", "See the event"),
    },
}  # fmt: skip

EVENT_KINDS: dict[str, dict[str, str]] = {
    "fi": {"info": "Infotilaisuus", "discussion": "Keskustelutilaisuus", "networking": "Verkostoitumistilaisuus",
           "workshop": "Työpaja", "association_evening": "Yhdistysilta",
           "cooperation_group_meeting": "Yhdistysyhteistyöryhmän kokous"},
    "sv": {"info": "Informationsmöte", "discussion": "Diskussionsmöte", "networking": "Nätverksträff",
           "workshop": "Workshop", "association_evening": "Föreningskväll",
           "cooperation_group_meeting": "Möte för föreningssamarbetsgruppen"},
    "en": {"info": "Info event", "discussion": "Discussion event", "networking": "Networking event",
           "workshop": "Workshop", "association_evening": "Association evening",
           "cooperation_group_meeting": "Cooperation group meeting"},
}  # fmt: skip
ONLINE = {"fi": " (verkossa)", "sv": " (på nätet)", "en": " (online)"}
WEEKDAYS = {
    "fi": {"mon": "ma", "tue": "ti", "wed": "ke", "thu": "to", "fri": "pe", "sat": "la", "sun": "su"},
    "sv": {"mon": "mån", "tue": "tis", "wed": "ons", "thu": "tors", "fri": "fre", "sat": "lör", "sun": "sön"},
    "en": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"},
}


CLOSES_SURVEY = {"fi": " Kysely sulkeutuu {at}.", "sv": " Enkäten stänger {at}.", "en": " It closes {at}."}
CLOSES = {"fi": " Haku päättyy {at}.", "sv": " Ansökan stänger {at}.", "en": " It closes {at}."}
MORE = {"fi": "ja {n} muuta", "sv": "och {n} till", "en": "and {n} more"}
CONTACT = {"fi": "Yhteyshenkilö: {contact}", "sv": "Kontaktperson: {contact}", "en": "Contact: {contact}"}


def words(template: str, language: str) -> Words:
    """KeyError for a template no notice has: a programming error, not input."""
    texts = NOTICES[template]
    return texts.get(language, texts["fi"])
