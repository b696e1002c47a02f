import { describe, expect, it } from 'vitest';
import { CORP_A, CORP_B } from '../../local/simulator/demo-data.js';
import { loginDemo } from '../../local/simulator/demo-login.js';
import { extraCorpId } from '../../local/simulator/state.js';
import { call, useSimulator } from './support.js';

const sim = useSimulator({ extraCorps: 3 });

describe('extraCorps option', () => {
  it('adds that many enterprises of the demo SP after the demo ones', async () => {
    const token = await loginDemo.spAdmin(sim.url);
    const answer = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp?limit=100', { token });
    expect(answer.status).toBe(200);
    const page = answer.json as { count: number; data: { id: string }[] };
    expect(page.data.map((c) => c.id)).toEqual([CORP_A.corpId, CORP_B.corpId, extraCorpId(1), extraCorpId(2), extraCorpId(3)]);
  });

  it('lets the SP administrator add and modify resources in an extra enterprise', async () => {
    const token = await loginDemo.spAdmin(sim.url);
    const path = `/v1/usg/dcs/sp/corp/${extraCorpId(2)}/resource`;
    const added = await call(sim.url, 'POST', path, { token, body: [{ id: 'e1', type: 'SOFT', count: 1, expireDate: 2082758400000 }] });
    expect(added.status).toBe(200);
    const disabled = await call(sim.url, 'PUT', path, { token, body: [{ id: 'e1', type: 'SOFT', isDisabled: true }] });
    expect(disabled.status).toBe(200);
    const listed = await call(sim.url, 'GET', path, { token });
    expect((listed.json as { data: { id: string; status: number }[] }).data).toEqual([expect.objectContaining({ id: 'e1', status: 2 })]);
  });

  it('keeps the extra enterprises, emptied, across a reset', async () => {
    const token = await loginDemo.spAdmin(sim.url);
    await sim.control.reset();
    const corps = await call(sim.url, 'GET', '/v1/usg/dcs/sp/corp?limit=100', { token });
    expect((corps.json as { count: number }).count).toBe(5);
    const resources = await call(sim.url, 'GET', `/v1/usg/dcs/sp/corp/${extraCorpId(2)}/resource`, { token });
    expect((resources.json as { count: number }).count).toBe(0);
  });
});
