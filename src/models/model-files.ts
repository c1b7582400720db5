/** Reading and writing the JSON files of a model's persisted form (ModelFiles), with clear errors. */
import type { z } from 'zod';
import { DcgridError, ErrorCodes } from '../lib/errors.js';
import type { ModelFiles } from './types.js';

export function modelJson(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2));
}

/**
 * Parses `file` of a model's files and checks it against `schema`; anything wrong is an
 * E_ARTIFACT error naming the file and the model it should hold.
 */
export function readModelJson<S extends z.ZodType>(
  files: ModelFiles,
  file: string,
  schema: S,
  model: string,
): z.output<S> {
  const bytes = files[file];
  if (bytes === undefined) {
    throw new DcgridError(ErrorCodes.ARTIFACT, `the ${model} model files have no ${file}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new DcgridError(ErrorCodes.ARTIFACT, `${file} is not JSON`, { file }, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new DcgridError(
      ErrorCodes.ARTIFACT,
      `${file} is not a valid ${model} model: ${issues.join('; ')}`,
      { file },
    );
  }
  return parsed.data;
}
