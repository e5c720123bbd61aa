"""Settings pages for the editable templates: the stage checklist, tariffs and the USD rate."""
