/**
 * A run's artifact root on a server that proxies artifacts (`mlflow server --serve-artifacts`, the
 * default since MLflow 2.0) is `mlflow-artifacts:/<path>` or `mlflow-artifacts://<host>/<path>`;
 * files under it are uploaded with PUT /api/2.0/mlflow-artifacts/artifacts/<path>/<file>.
 * Any other root (s3://, a server-local path) cannot be written through the tracking server.
 */
export function proxiedArtifactPath(artifactUri: string | undefined): string | undefined {
  if (artifactUri === undefined) return undefined;
  const match = /^mlflow-artifacts:(\/\/[^/]*)?\/(.*)$/.exec(artifactUri);
  if (match === null) return undefined;
  return match[2]!.replace(/\/+$/, '');
}

/** Encodes each segment of a relative path for a URL, keeping the slashes. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment.length > 0)
    .map(encodeURIComponent)
    .join('/');
}
