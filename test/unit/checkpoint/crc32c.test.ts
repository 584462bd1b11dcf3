import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32c, crc32cExtend, maskCrc, unmaskCrc } from '../../../server/src/core/checkpoint/crc32c';
import { randomBytes } from './corpusVariables';
import { mulberry32 } from '../../../server/src/core/prng';

// Reference values: RFC 3720 (iSCSI) appendix B.4 and the common "123456789" check value.
test('CRC32C known vectors', () => {
  assert.equal(crc32c(new TextEncoder().encode('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test('extend over pieces equals the CRC of the whole, at every split (slicing-by-4 edges)', () => {
  const data = randomBytes(mulberry32(1), 37);
  const whole = crc32c(data);
  for (let i = 0; i <= data.length; i++) {
    assert.equal(crc32cExtend(crc32c(data.subarray(0, i)), data.subarray(i)), whole, `split ${i}`);
    assert.equal(crc32cExtend(crc32c(data, 0, i), data, i, data.length), whole, `range split ${i}`);
  }
});

test('mask is LevelDB\'s and unmask inverts it', () => {
  // LevelDB crc32c_test: Mask(crc) != crc, Mask(Mask(crc)) != crc, Unmask(Mask(crc)) == crc.
  const rand = mulberry32(2);
  for (let i = 0; i < 200; i++) {
    const crc = Math.floor(rand() * 2 ** 32);
    assert.equal(unmaskCrc(maskCrc(crc)), crc);
    assert.equal(unmaskCrc(unmaskCrc(maskCrc(maskCrc(crc)))), crc);
  }
  const crc = crc32c(new TextEncoder().encode('foo'));
  assert.notEqual(maskCrc(crc), crc);
  assert.equal(maskCrc(0), 0xa282ead8);
});
