// How a report names the features it measured: a bundled encoder by its kind, a manifest encoder by its
// manifest's id (the report says which model it measured).
import { encoderCacheKey } from '../engine/embed/cache-key';
import type { EncoderSpec } from '../engine/encoders/create';

export function encoderReportName(spec: EncoderSpec): string {
  return spec.kind === 'manifest' ? `manifest:${encoderCacheKey(spec).encoderId}` : spec.kind;
}
