// SCONE versions and images, as the plugin names them.
import { z } from 'zod';

/** The SCONE release casflow provisions when no --set-version is given (plugin `latest/`). */
export const DEFAULT_SCONE_VERSION = '6.0.5';
export const DEFAULT_IMAGE_REGISTRY = 'registry.scontain.com/scone.cloud';

export const SconeVersion = z
  .string()
  .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/, { message: 'must be a version such as 6.0.5 or 5.8.0-rc.8' });

export const ImageRegistry = z.string().regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d+)?(\/[a-z0-9._-]+)*$/, {
  message: 'must be an image registry path such as registry.example.com/scone',
});

export const ImageReference = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._/:-]*(@sha256:[a-f0-9]{64})?$/, { message: 'must be an image reference' });

export type SconeImage = 'cas' | 'backup-controller' | 'cas-recovery' | 'sconecli';

export function imageOf(registry: string, image: SconeImage, version: string): string {
  return `${registry}/${image}:${version}`;
}

/** The tag of an image reference, or undefined when it has none. */
export function tagOf(image: string): string | undefined {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1).split('@')[0];
}
