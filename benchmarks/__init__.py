"""`make benchmark`: the teacher pages, the CSV export and the pupils' sending measured at two sizes on
PostgreSQL behind gunicorn. See README.md, section « Benchmark »."""
