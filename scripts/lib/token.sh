# shellcheck shell=bash
# Sourced by every script that makes a secret: API tokens, Grafana's admin password, throwaway test tokens.

# A random URL-safe token of 43 characters (256 bits from the kernel's CSPRNG), fit for a header or a password.
new_token() {
  head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

# The SHA-256 of a token in hex: what the service's tokens file holds instead of the token.
sha256_hex() {
  printf '%s' "$1" | sha256sum | cut -d' ' -f1
}
