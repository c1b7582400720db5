"""Creates the S3 buckets named in S3_BUCKETS (comma-separated) when missing, then exits.

Run once at stack start (Compose service s3-init, Kubernetes Job s3-init) with the MLflow image,
which has boto3. Waits up to S3_WAIT_S seconds (default 120) for the server to answer.
"""

import os
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

# An empty S3_ENDPOINT means AWS S3 itself.
endpoint = os.environ.get("S3_ENDPOINT") or None
region = os.environ.get("AWS_REGION", "us-east-1")
buckets = [b.strip() for b in os.environ["S3_BUCKETS"].split(",") if b.strip()]
deadline = time.monotonic() + float(os.environ.get("S3_WAIT_S", "120"))
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    region_name=region,
    aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 3}),
)


def ensure(bucket: str) -> str:
    try:
        s3.head_bucket(Bucket=bucket)
        return "exists"
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in ("404", "NoSuchBucket", "NotFound"):
            raise
    options = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
    s3.create_bucket(Bucket=bucket, **options)
    return "created"


for bucket in buckets:
    while True:
        try:
            print(f"s3-init: bucket {bucket} {ensure(bucket)} at {endpoint or 'AWS S3'}", flush=True)
            break
        except (BotoCoreError, ClientError) as error:
            if time.monotonic() > deadline:
                print(f"s3-init: bucket {bucket} at {endpoint}: {error}", file=sys.stderr)
                sys.exit(1)
            print(f"s3-init: waiting for {endpoint} ({error})", flush=True)
            time.sleep(3)
