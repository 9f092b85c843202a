'use strict';
// User tokens in Relaymesh's format (docs/tokens.md): base64url(nonce[12] || AES-256-GCM ciphertext
// || tag[16]) over the JSON claims, made here in bulk instead of one POST /generate-token each.
const crypto = require('crypto');

function userToken(keyHex, claims) {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), nonce);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([nonce, sealed]).toString('base64url');
}

module.exports = { userToken };
