import { strict as assert } from 'node:assert';
import { isLoopbackUrl, KIS_SERVERS } from '../../lib/session/servers';

describe('session: servers', () => {
  it('tells a URL on this machine (the simulator) from KIS and from anything else', () => {
    for (const url of ['ws://127.0.0.1:21000', 'http://localhost:9443/oauth2/Approval', 'ws://[::1]:31000']) assert.equal(isLoopbackUrl(url), true, url);
    for (const url of [KIS_SERVERS.real.wsUrl, KIS_SERVERS.paper.restUrl, 'ws://10.0.0.1:21000', 'not a url', '']) assert.equal(isLoopbackUrl(url), false, url);
  });
});
