"""What is made from a result: the texts, the summary PDF, FHIR, CSV and the calendar reminder."""
