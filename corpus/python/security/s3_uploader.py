"""Upload build artifacts to S3."""

import boto3

# Values from the AWS documentation, used in the README example.
DOC_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # ok: PY-S902
DOC_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"  # ok: PY-S901


def client():
    """S3 client for the artifacts bucket."""
    return boto3.client(
        "s3",
        region_name="eu-west-1",
        aws_access_key_id="AKIAVQJXXVBOTHD2WTFL",  # expect: PY-S902
        aws_secret_access_key="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",  # expect: PY-S901
    )


def client_from_profile():
    """S3 client using the default credential chain (env, profile, role)."""
    return boto3.client("s3", region_name="eu-west-1")


def upload(path: str, key: str) -> None:
    """Upload one file."""
    client().upload_file(path, "build-artifacts", key)
