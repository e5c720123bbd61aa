"""Gettext catalogs: one .po per area under <lang>/LC_MESSAGES, merged at load."""
