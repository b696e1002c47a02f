import type { SimResource } from './state.js';

/**
 * The simulator's model of Huawei's resource operation records (SearchResourceOpRecord,
 * `GET /v1/usg/dcs/sp/corp/{corp_id}/resource-record`). Documented: the `operateType` codes below and the query
 * filters. Assumed (docs/simulator.md): one record per resource and operation, the resource as it was right after
 * the operation, the operate time kept for the filter but not shown, the log starting empty (seed data has none).
 */
export const OPERATE_TYPE = { add: 0, delete: 1, modify: 2, disable: 3, enable: 4 } as const;
export type OperateType = (typeof OPERATE_TYPE)[keyof typeof OPERATE_TYPE];

export interface ResourceRecord {
  operateType: OperateType;
  /** Epoch ms, from the simulator's clock. */
  operateDate: number;
  /** A copy of the resource right after the operation (right before it, for a delete). */
  resource: SimResource;
}

export interface RecordFilter {
  searchKey?: string;
  type?: string;
  typeId?: string;
  operateType?: number;
  startExpireDate?: number;
  endExpireDate?: number;
  startOperateDate?: number;
  endOperateDate?: number;
}

/** Every operation on the SP's resources, per enterprise, in the order they happened. */
export class ResourceRecordLog {
  private readonly byCorp = new Map<string, ResourceRecord[]>();

  add(operateType: OperateType, resource: SimResource, operateDate: number): void {
    const list = this.byCorp.get(resource.corpId) ?? [];
    list.push({ operateType, operateDate, resource: { ...resource } });
    this.byCorp.set(resource.corpId, list);
  }

  /** The enterprise's records matching every filter given, newest first (assumed order). */
  find(corpId: string, filter: RecordFilter): ResourceRecord[] {
    const key = filter.searchKey?.toLowerCase() ?? '';
    return (this.byCorp.get(corpId) ?? [])
      .filter(
        ({ operateType, operateDate, resource: r }) =>
          (key === '' || r.id.toLowerCase().includes(key)) &&
          (filter.type === undefined || r.type === filter.type) &&
          (filter.typeId === undefined || r.typeId === filter.typeId) &&
          (filter.operateType === undefined || operateType === filter.operateType) &&
          (filter.startExpireDate === undefined || r.expireDate >= filter.startExpireDate) &&
          (filter.endExpireDate === undefined || r.expireDate <= filter.endExpireDate) &&
          (filter.startOperateDate === undefined || operateDate >= filter.startOperateDate) &&
          (filter.endOperateDate === undefined || operateDate <= filter.endOperateDate),
      )
      .reverse();
  }
}
