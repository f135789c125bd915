"""URL converters. Ids are ASCII digits that fit PostgreSQL's bigint, so that a Unicode digit (« ² »)
or a 30-digit number is a 404 at routing time, never a 500 in the database."""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))
