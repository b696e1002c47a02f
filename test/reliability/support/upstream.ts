/**
 * Reads Huawei's side back through its own query API (the simulator's SearchResource), the way an operator
 * would check what Huawei holds.
 */
import type { ResourceType } from '../../../functions/shared/huawei/schemas.js';

export interface UpstreamResource {
  id: string;
  type: ResourceType;
  expireDate: number;
  isDisabled: boolean;
}

const PAGE = 100;

/** Every resource of an enterprise, by `id/type`. */
export async function upstreamResources(baseUrl: string, spToken: string, corpId: string): Promise<Map<string, UpstreamResource>> {
  const all = new Map<string, UpstreamResource>();
  for (let offset = 0; ; offset += PAGE) {
    const response = await fetch(`${baseUrl}/v1/usg/dcs/sp/corp/${corpId}/resource?offset=${offset}&limit=${PAGE}`, {
      headers: { 'X-Access-Token': spToken },
    });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`SearchResource failed: ${response.status} ${text}`);
    const page = JSON.parse(text) as { count: number; data: Array<{ id: string; type: ResourceType; expireDate: number; status: number }> };
    for (const r of page.data) all.set(`${r.id}/${r.type}`, { id: r.id, type: r.type, expireDate: r.expireDate, isDisabled: r.status === 2 });
    if (offset + PAGE >= page.count) return all;
  }
}
