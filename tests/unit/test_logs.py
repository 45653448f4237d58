"""SEC-44: user values cannot forge log lines."""

import logging

from network.logs import OneLineFormatter, escape_line_breaks


def test_line_breaks_are_escaped():
    assert escape_line_breaks("a\r\nb\\n") == "a\\r\\nb\\\\n"


def test_a_forged_line_stays_on_one_line():
    record = logging.LogRecord(
        "network.security",
        logging.INFO,
        __file__,
        1,
        "failed login for %s",
        ("eve\nINFO admin logged in",),
        None,
    )
    record.request_id = "-"
    line = OneLineFormatter("%(message)s").format(record)
    assert "\n" not in line
    assert line == "failed login for eve\\nINFO admin logged in"
