"""The Django web app: many writers, one barnbokslut, from last year's actions to a published report.

A thin shell around the core (``barnbokslut.kolada``, ``indicators``, ``report``): one Django app per concern
(``organisations``, ``accounts``, ``editions``, ``localdata``, ``publishing``, ``core``), settings read from the
environment (``settings.py``), long work in django-tasks' database backend.
"""
