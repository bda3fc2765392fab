import { createServer } from 'http';

/**
 * The baseline: a bare Node HTTP server that reads the JSON body and answers a small JSON
 * object, as the API does, with nothing else (no framework, no Redis). Prints its port.
 */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request_id?: string };
    const answer = JSON.stringify({ allowed: true, request_id: body.request_id ?? null });
    res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
