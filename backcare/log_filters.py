"""Keep the error log readable: answers the site gives on purpose are one line each."""

import logging

# 400 bad request or host, 403 refused, 404 not found, 405 wrong method; 503 is a database outage,
# which every request during it would otherwise log with the same long traceback.
ONE_LINE_STATUSES = {400, 403, 404, 405, 503}


class ExpectedErrorsOnOneLine(logging.Filter):
    """Drops the traceback from Django's log of an expected 4xx or a 503, naming the exception instead."""

    def filter(self, record):
        if getattr(record, "status_code", None) in ONE_LINE_STATUSES and record.exc_info:
            error = record.exc_info[1]
            if error is not None:
                record.msg, record.args = f"{record.getMessage()} ({type(error).__name__}: {error})", ()
            record.exc_info = record.exc_text = None
        return True
