import { describe, expect, it } from 'vitest';
import { registryCreateTableInput } from '../../local/dynamo.js';
import { allDueShards, dueShardFor, itemKey } from '../../functions/shared/registry/keys.js';
import { REGISTRY_LEASE_KEY, REGISTRY_TABLE } from '../../functions/shared/registry/table.js';

describe('registry table definition', () => {
  it('derives the dynalite CreateTable input from the single definition', () => {
    // Act
    const input = registryCreateTableInput('t');

    // Assess
    expect(input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(input.GlobalSecondaryIndexes).toEqual([
      {
        IndexName: REGISTRY_TABLE.dueIndex.name,
        KeySchema: [
          { AttributeName: 'dueShard', KeyType: 'HASH' },
          { AttributeName: 'dueAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...REGISTRY_TABLE.dueIndex.projection.nonKeyAttributes] },
      },
    ]);
    expect(input.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'dueShard', AttributeType: 'S' },
        { AttributeName: 'dueAt', AttributeType: 'N' },
      ]),
    );
  });

  it('keys an item by enterprise and by resource id plus type, with * for a type-less item', () => {
    expect(itemKey('818803911', 'abc', 'VMR')).toEqual({ pk: 'CORP#818803911', sk: 'RES#abc#VMR' });
    expect(itemKey('818803911', 'abc', undefined)).toEqual({ pk: 'CORP#818803911', sk: 'RES#abc#*' });
    expect(REGISTRY_LEASE_KEY.pk.startsWith('CORP#')).toBe(false);
  });

  it('gives an item the same due shard every time and spreads items over every shard', () => {
    // Prepare
    const keys = Array.from({ length: 800 }, (_, i) => itemKey(String(800000000 + (i % 7)), `r${i}`, 'SOFT'));

    // Act
    const shards = keys.map(dueShardFor);

    // Assess
    expect(keys.map(dueShardFor)).toEqual(shards);
    const counts = new Map<string, number>();
    for (const shard of shards) counts.set(shard, (counts.get(shard) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(allDueShards().sort());
    // No shard gets more than twice its fair share (100).
    expect(Math.max(...counts.values())).toBeLessThan(200);
  });
});
