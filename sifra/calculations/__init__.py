"""Calculations too heavy to run inside a web request: kept as a row (who ran what, when, with
which seed), run by the task worker in steps that save their progress, and polled by the API and
the pages until the result is there."""
