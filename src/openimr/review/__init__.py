"""The review organization's workflow as pure functions over typed values.

registry (reviewers in and out), eligibility, conflicts, specialty fit, assignment, the case lifecycle and its
deadlines. Nothing here touches a database or the network: openimr.db stores, openimr.api serves.
"""
