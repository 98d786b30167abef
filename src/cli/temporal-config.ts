// Temporal connection settings from the environment, checked before connecting. Nothing falls back
// to a default endpoint: a missing address stops the CLI with a message naming the variable.
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { CodecKeysError, parseCodecKeys, type CodecKey } from '../temporal/codec.ts';
import { UsageError } from './cli-error.ts';
import type { Env } from './env-subst.ts';

export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  tls?: TLSConfig;
  apiKey?: string;
  /** Payload encryption keys from CASFLOW_CODEC_KEYS; the first encrypts. Unset: payloads stay plain. */
  codecKeys?: CodecKey[];
}

function codecKeys(env: Env): CodecKey[] | undefined {
  const setting = env.CASFLOW_CODEC_KEYS;
  if (!setting) return undefined;
  try {
    return parseCodecKeys(setting);
  } catch (error) {
    if (!(error instanceof CodecKeysError)) throw error;
    // The setting holds key material: name the entry, never show the value.
    throw new UsageError(`Invalid CASFLOW_CODEC_KEYS: ${error.message} (value not shown)`);
  }
}

function pemFile(env: Env, variable: string): Buffer | undefined {
  const path = env[variable];
  if (!path) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(`Invalid ${variable}: cannot read file "${path}" (${code})`);
  }
}

function tlsConfig(env: Env): TLSConfig | undefined {
  const flag = env.CASFLOW_TEMPORAL_TLS;
  const ca = pemFile(env, 'CASFLOW_TEMPORAL_TLS_CA');
  const crt = pemFile(env, 'CASFLOW_TEMPORAL_TLS_CERT');
  const key = pemFile(env, 'CASFLOW_TEMPORAL_TLS_KEY');
  if (flag !== undefined && !['true', 'false', '1', '0', ''].includes(flag)) {
    throw new UsageError(`Invalid CASFLOW_TEMPORAL_TLS: must be true or false (got "${flag}")`);
  }
  if (Boolean(crt) !== Boolean(key)) {
    throw new UsageError('CASFLOW_TEMPORAL_TLS_CERT and CASFLOW_TEMPORAL_TLS_KEY must be set together');
  }
  const enabled = flag === 'true' || flag === '1' || ca !== undefined || crt !== undefined;
  if (!enabled) return undefined;
  return {
    serverRootCACertificate: ca,
    clientCertPair: crt && key ? { crt, key } : undefined,
  };
}

/** Reads CASFLOW_TEMPORAL_*, CASFLOW_TASK_QUEUE and CASFLOW_CODEC_KEYS; throws UsageError naming a missing or bad one. */
export function readTemporalConfig(env: Env): TemporalConfig {
  const address = env.CASFLOW_TEMPORAL_ADDRESS?.trim();
  if (!address) {
    throw new UsageError('CASFLOW_TEMPORAL_ADDRESS is not set: it must name the Temporal frontend as host:port');
  }
  if (!/^[^\s/:]+:\d{1,5}$/.test(address) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(address)) {
    throw new UsageError(`Invalid CASFLOW_TEMPORAL_ADDRESS: must be host:port (got "${address}")`);
  }
  return {
    address,
    namespace: env.CASFLOW_TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.CASFLOW_TASK_QUEUE || 'casflow',
    tls: tlsConfig(env),
    apiKey: env.CASFLOW_TEMPORAL_API_KEY || undefined,
    codecKeys: codecKeys(env),
  };
}
