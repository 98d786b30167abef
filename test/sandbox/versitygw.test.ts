// The real S3 gateway stores and returns objects for the AWS SDK configured as casflow configures
// it (path style, checksums only when required), and checks request signatures.
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { useTestServers, type S3Server } from '../../src/sandbox/servers/index.ts';

const servers = await useTestServers();

function clientFor(s3: S3Server, secretAccessKey = s3.secretAccessKey): S3Client {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
  after(() => client.destroy());
  return client;
}

describe('versitygw test server', () => {
  it('returns the exact bytes of an object it stored', async () => {
    const s3 = clientFor(servers.s3);
    const bucket = `snapshots-${randomBytes(4).toString('hex')}`;
    const body = randomBytes(256 * 1024);

    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'cas/mycas/0001.db', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cas/mycas/0001.db' }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));

    assert.ok(got.Body, 'GetObject returned no body');
    assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);
    assert.deepEqual(
      listed.Contents?.map((o) => [o.Key, o.Size]),
      [['cas/mycas/0001.db', body.length]],
    );
  });

  it('refuses a request signed with the wrong secret', async () => {
    const s3 = clientFor(servers.s3, 'not-the-secret');

    const failure = await s3.send(new CreateBucketCommand({ Bucket: 'refused' })).then(
      () => assert.fail('a wrongly signed CreateBucket succeeded'),
      (err: { name: string; $metadata?: { httpStatusCode?: number } }) => err,
    );

    assert.equal(failure.name, 'SignatureDoesNotMatch');
    assert.equal(failure.$metadata?.httpStatusCode, 403);
  });
});
