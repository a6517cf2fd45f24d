"""The staff side at /staff: sign-in, contact requests, statistics, downloads, outreach links."""
