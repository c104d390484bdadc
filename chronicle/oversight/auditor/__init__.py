"""The auditor's page: the partnership's audit log, filtered by person, action, record, dates and case.

It lives above the apps because filtering by case reads every app's records; `chronicle.audit` keeps
the log itself."""
