"""User-facing words of the mails and pages, in Finnish (the default), Swedish and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "footer": "Porin kaupungin yhdistysyhteistyö · Yhdistysuutiset",
        "unsubscribe": "Peru tilaus",
        "preferences": "Muuta asetuksia",
        "confirm_subject": "Vahvista Yhdistysuutisten tilaus",
        "confirm_body": "Vahvista tilauksesi alla olevasta linkistä. Linkki on voimassa {hours} tuntia. "
        "Jos et tilannut Yhdistysuutisia, voit jättää tämän viestin huomiotta.",
        "confirm_action": "Vahvista tilaus",
        "test_prefix": "[TESTI] ",
        "notifications_footer": "Saat tämän viestin, koska olet yhdistyksesi yhteyshenkilö.",
        "open": "Avaa",
    },
    "sv": {
        "footer": "Björneborgs stads föreningssamarbete · Föreningsnytt",
        "unsubscribe": "Avsluta prenumerationen",
        "preferences": "Ändra inställningar",
        "confirm_subject": "Bekräfta din prenumeration på Föreningsnytt",
        "confirm_body": "Bekräfta prenumerationen via länken nedan. Länken gäller i {hours} timmar. "
        "Om du inte har beställt Föreningsnytt kan du bortse från meddelandet.",
        "confirm_action": "Bekräfta prenumerationen",
        "test_prefix": "[TEST] ",
        "notifications_footer": "Du får detta meddelande som din förenings kontaktperson.",
        "open": "Öppna",
    },
    "en": {
        "footer": "City of Pori association cooperation · Association News",
        "unsubscribe": "Unsubscribe",
        "preferences": "Change preferences",
        "confirm_subject": "Confirm your subscription to Association News",
        "confirm_body": "Confirm your subscription with the link below. It is valid for {hours} hours. "
        "If you did not subscribe, you can ignore this message.",
        "confirm_action": "Confirm the subscription",
        "test_prefix": "[TEST] ",
        "notifications_footer": "You receive this message as a contact person of your association.",
        "open": "Open",
    },
}


def text(language: str, name: str) -> str:
    return TEXTS.get(language, TEXTS["fi"])[name]
