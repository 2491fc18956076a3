"""The fields of a lead given one at a time (``prospector add``, ``prospector serve``).

Apart from the importer that uses them, so the command line can list them as
options without loading it.
"""

FIELDS = {
    "first": "first_name",
    "last": "last_name",
    "company": "company",
    "phone": "phone",
    "email": "email",
    "title": "title",
    "source": "source",
    "list": "list_name",
    "state": "state",
    "country": "country",
    "website": "website",
    "employees": "employees",
    "industry": "industry",
}
"""A lead's field names (the ``add`` options, the JSON keys) and the import field each fills."""
