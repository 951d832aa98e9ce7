"""What a rep sees when something breaks: a short message, where the log is, no secrets.

The full traceback goes to the log file (whose formatter redacts every registered secret); the
text offered to the rep is redacted the same way, so a crash report pasted into an email can
never carry a token.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType

from smarketing_desktop.logging_setup import redact

log = logging.getLogger("smarketing_desktop.crash")


def crash_report(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None, log_file: Path
) -> tuple[str, str]:
    """(message for the rep, details they may copy), both free of secrets; logs the crash."""
    log.critical("Unexpected error", exc_info=(kind, error, trace))
    details = redact("".join(traceback.format_exception(kind, error, trace)))
    message = redact(
        "Something went wrong and Smarketing Desktop could not finish what it was doing.\n\n"
        f"{kind.__name__}: {error}\n\n"
        f"Your data is safe. The details are in the log file:\n{log_file}"
    )
    return message, details
