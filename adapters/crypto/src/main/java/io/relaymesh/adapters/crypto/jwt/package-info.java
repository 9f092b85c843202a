/** JWT verification with nimbus-jose-jwt (HS256 secret, RS256/ES256 JWKS file or URL): the {@code JwtVerifier} adapter. */
package io.relaymesh.adapters.crypto.jwt;
