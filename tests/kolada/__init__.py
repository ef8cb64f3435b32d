"""Tests of the Kolada client (barnbokslut.kolada)."""
