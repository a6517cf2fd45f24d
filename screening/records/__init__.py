"""The clinic's records: contact requests, visit channels, outreach links, the sign-in
lock-out policy, and the storage that keeps them."""
