"""The small pages a mail's links open, in Finnish, Swedish and English at once (a link does not say which)."""

from __future__ import annotations

from urllib.parse import quote

from notifier.adapters import rendering

PAGES: dict[str, tuple[str, list[str], str | None]] = {
    "confirm": (
        "Vahvista tilaus · Bekräfta prenumerationen · Confirm the subscription",
        [
            "Vahvista Yhdistysuutisten tilaus painamalla alla olevaa painiketta.",
            "Bekräfta prenumerationen på Föreningsnytt med knappen nedan.",
            "Confirm your subscription to Association News with the button below.",
        ],
        "Vahvista · Bekräfta · Confirm",
    ),
    "confirmed": (
        "Tilaus vahvistettu · Prenumerationen är bekräftad · Subscription confirmed",
        [
            "Kiitos! Saat jatkossa Yhdistysuutiset.",
            "Tack! Du får Föreningsnytt i fortsättningen.",
            "Thank you! You will receive Association News from now on.",
        ],
        None,
    ),
    "unsubscribe": (
        "Peru tilaus · Avsluta prenumerationen · Unsubscribe",
        [
            "Lopeta viestien tilaus painamalla alla olevaa painiketta.",
            "Avsluta prenumerationen med knappen nedan.",
            "Stop receiving these messages with the button below.",
        ],
        "Peru tilaus · Avsluta · Unsubscribe",
    ),
    "unsubscribed": (
        "Tilaus peruttu · Prenumerationen avslutad · Unsubscribed",
        [
            "Et saa enää näitä viestejä.",
            "Du får inte längre dessa meddelanden.",
            "You will no longer receive these messages.",
        ],
        None,
    ),
}


def page(name: str, action: str | None = None, token: str | None = None) -> str:
    title, lines, label = PAGES[name]
    form_action = f"{action}?token={quote(token, safe='')}" if action and token else None
    return rendering.page(title=title, lines=lines, form_action=form_action, form_label=label, language="fi")


def unsubscribed_page() -> str:
    return page("unsubscribed")
