import { describe, expect, it } from 'vitest';
import { createDirectoryMemory, RECENT_LIMIT } from '../../../../renderer/phone/directory-memory';
import { memoryStorage } from '../../../helpers/memory-storage';

const FAVOURITES_KEY = 'minwon.directory.favourites';
const RECENT_KEY = 'minwon.directory.recent';


describe('the directory’s favourites', () => {
  it('starts with none on a fresh desk', () => {
    expect(createDirectoryMemory(memoryStorage()).getState().favourites).toEqual([]);
  });

  it('stars and unstars a person, in the order starred, and keeps that for the next start', () => {
    const storage = memoryStorage();
    const memory = createDirectoryMemory(storage);
    memory.getState().toggleFavourite('s-3511');
    memory.getState().toggleFavourite('s-2410');
    memory.getState().toggleFavourite('s-3512');
    expect(memory.getState().favourites).toEqual(['s-3511', 's-2410', 's-3512']);
    memory.getState().toggleFavourite('s-2410');
    expect(memory.getState().favourites).toEqual(['s-3511', 's-3512']);
    expect(JSON.parse(storage.items.get(FAVOURITES_KEY) ?? 'null')).toEqual(['s-3511', 's-3512']);
    expect(createDirectoryMemory(storage).getState().favourites).toEqual(['s-3511', 's-3512']);
    // Starred again: last in the order.
    memory.getState().toggleFavourite('s-2410');
    expect(createDirectoryMemory(storage).getState().favourites).toEqual(['s-3511', 's-3512', 's-2410']);
  });
});

describe('the directory’s recent transfer targets', () => {
  it('keeps the newest first, each person once, and keeps that for the next start', () => {
    const storage = memoryStorage();
    const memory = createDirectoryMemory(storage);
    expect(memory.getState().recent).toEqual([]);
    memory.getState().used('s-1');
    memory.getState().used('s-2');
    memory.getState().used('s-3');
    memory.getState().used('s-1');
    expect(memory.getState().recent).toEqual(['s-1', 's-3', 's-2']);
    expect(createDirectoryMemory(storage).getState().recent).toEqual(['s-1', 's-3', 's-2']);
  });

  it(`keeps only the last ${RECENT_LIMIT}`, () => {
    const storage = memoryStorage();
    const memory = createDirectoryMemory(storage);
    const ids = Array.from({ length: RECENT_LIMIT + 2 }, (_, i) => `s-${i}`);
    for (const id of ids) memory.getState().used(id);
    const newest = ids.slice(-RECENT_LIMIT).reverse();
    expect(memory.getState().recent).toEqual(newest);
    expect(createDirectoryMemory(storage).getState().recent).toEqual(newest);
  });
});

describe('what the directory finds in storage', () => {
  it('reads anything but a list of ids (a hand edit, an old format) as empty, and skips what is not an id', () => {
    for (const garbage of ['not json', '{"a":1}', '"s-1"', '42', 'null', '']) {
      const memory = createDirectoryMemory(memoryStorage({ [FAVOURITES_KEY]: garbage, [RECENT_KEY]: garbage })).getState();
      expect(memory.favourites, garbage).toEqual([]);
      expect(memory.recent, garbage).toEqual([]);
    }
    const mixed = JSON.stringify(['s-1', 2, null, { id: 's-2' }, ['s-3'], 's-4']);
    const memory = createDirectoryMemory(memoryStorage({ [FAVOURITES_KEY]: mixed, [RECENT_KEY]: mixed })).getState();
    expect(memory.favourites).toEqual(['s-1', 's-4']);
    expect(memory.recent).toEqual(['s-1', 's-4']);
  });
});
