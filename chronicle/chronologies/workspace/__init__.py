"""The agency's side of a chronology request: the workspace, entries, importing, submitting, versions."""
