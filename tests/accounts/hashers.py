"""A fast test hasher that counts how often a password is hashed."""

from django.contrib.auth.hashers import MD5PasswordHasher

ENCODED = []


class CountingHasher(MD5PasswordHasher):
    algorithm = "counting_md5"

    def encode(self, password, salt):
        ENCODED.append(password)
        return super().encode(password, salt)
