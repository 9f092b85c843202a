import sys, time, uuid
# Fills Redis with N mailbox messages that expire at EXPIRES_MS, in the store's own key format:
#   python3 bench/mailbox/fill-redis.py 1000000 $(( ($(date +%s) + 150) * 1000 )) | redis-cli -p 16379 --pipe
n = int(sys.argv[1]); exp = int(sys.argv[2])
out = sys.stdout.buffer
def cmd(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str): a = a.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    out.write(b"".join(parts))
payload = "A" * 136
now = int(time.time() * 1000)
for i in range(n):
    mid = str(uuid.uuid4())
    to = "sweep-w%d" % (i % 10000)
    body = "%s\nbench\n%d\n%d\n%s" % (to, now // 1000, exp, payload)
    cmd("SET", "mailbox:msg:" + mid, body, "PXAT", str(exp))
    cmd("ZADD", "mailbox:box:" + to, str(now * 1000.0 + i % 1000), mid)
    cmd("ZADD", "mailbox:expiry", str(exp), to + "\n" + mid)
