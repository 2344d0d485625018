"""The GitHub side: the event and inputs, the REST client, and what is published."""
