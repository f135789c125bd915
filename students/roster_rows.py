"""What a roster file says about one pupil, as read and before any rule is applied, and the error that
refuses a whole file. Shared by the SIECLE parser and the CSV reader, checked by students.roster."""

from dataclasses import dataclass

MAX_UPLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE_LABEL = "20\u00a0Mo"


class RosterFileError(Exception):
    """The file cannot be read as a roster; the message says why, in French, to the teacher."""

    def __init__(self, message, *, detail=""):
        super().__init__(message)
        self.message = message
        self.detail = detail


@dataclass(slots=True)
class RawPupil:
    """One pupil as the file gives him: texts stripped, nothing checked yet.

    `where` tells the teacher which pupil an error is about (« Ligne 12 » for a CSV; SIECLE has no
    useful line, so the INE is used there). `sex` is None when the file has no such column.
    """

    where: str
    national_student_id: str
    last_name: str
    first_name: str
    birthdate: str
    division: str
    sex: str | None = None
    exit_date: str = ""


class BoundedReader:
    """A binary file-like object that refuses to yield more than `limit` bytes, whatever the file (or the
    zip member behind it) claims its size is: a bomb is stopped after `limit` bytes, not expanded."""

    def __init__(self, raw, *, limit, message):
        self.raw = raw
        self.limit = limit
        self.message = message
        self.consumed = 0

    def read(self, size=-1):
        allowed = self.limit + 1 - self.consumed
        data = self.raw.read(allowed if size is None or size < 0 else min(size, allowed))
        self.consumed += len(data)
        if self.consumed > self.limit:
            raise RosterFileError(self.message)
        return data
