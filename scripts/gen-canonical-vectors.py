#!/usr/bin/env python3
"""Writes bucketchat/src/test/resources/canonical-vectors.json: Bucket Chat canonical bytes and hashes as the
Python client computes them (json.dumps with sort_keys, compact separators, ensure_ascii; SHA-256, base64).
Python's standard library is the independent oracle; the Java tests must reproduce every vector byte for byte.
Run: python3 scripts/gen-canonical-vectors.py"""
import base64, hashlib, json, pathlib

def event(i, content, **over):
    e = {"event_id": "room1::20260101T000000.000Z::00000000-0000-4000-8000-%012d" % i, "room_id": "room1",
         "timestamp_ms": 1767225600000 + i, "sender_id": "user:alice", "type": "m.room.message",
         "parent_event_id": None, "prev_event_hash": None, "content": content}
    e.update(over)
    return e

cases = [
    ("plain", event(1, {"body": "hello", "msgtype": "m.text"})),
    ("accents", event(2, {"body": "café é à ü ñ", "msgtype": "m.text"})),
    ("emoji-surrogates", event(3, {"body": "😀🎉 party", "msgtype": "m.text"})),
    ("cjk", event(4, {"body": "日本語のテキスト 中文 한국어", "msgtype": "m.text"})),
    ("heart-variation-selector", event(5, {"body": "\u2764\ufe0f", "msgtype": "m.text"})),
    ("controls", event(6, {"body": "tab\there\nnew\rret\bback\fform\x00nul\x1fus", "msgtype": "m.text"})),
    ("quote-backslash-slash", event(7, {"body": "say \"hi\" \\ path/to/x", "msgtype": "m.text"})),
    ("del-and-line-separator", event(8, {"body": "\x7f \u2028 \u2029 \u00a0", "msgtype": "m.text"})),
    ("rtl-and-zero-width", event(9, {"body": "\u202eevil\u202c \u200b", "msgtype": "m.text"})),
    ("nested-sorted", event(10, {"z": {"b": 1, "a": [3, 2, {"y": None, "x": True}]}, "a": {}, "m": []})),
    ("key-order-code-points", event(11, {"\uff01": 1, "😀": 2, "a": 3, "A": 4, "é": 5, "_": 6, "": 7})),
    ("big-and-negative-ints", event(12, {"n": -12345678901234567890, "z": 0, "max": 9007199254740993})),
    ("member-with-target", event(13, {"membership": "invite", "target": "user:bob", "reason": None},
                                  type="m.room.member")),
    ("edit", event(14, {"replaces": "room1::x::y", "new_content": {"body": "fixed", "msgtype": "m.text"}},
                   type="m.room.edit", parent_event_id="room1::x::y", prev_event_hash="AAAA")),
    ("unknown-type", event(15, {"whatever": "kept"}, type="org.example.custom")),
    ("empty-content", event(16, {})),
    ("other-client-event-id", event(17, {"body": "x"}, event_id="room1::1767225600017::abc")),
]

out = []
for name, e in cases:
    canonical = json.dumps(e, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    out.append({"name": name, "event": e, "canonical": canonical,
                "hash": base64.b64encode(hashlib.sha256(canonical.encode("ascii")).digest()).decode()})

path = pathlib.Path(__file__).resolve().parent.parent / "bucketchat/src/test/resources/canonical-vectors.json"
path.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print("wrote", len(out), "vectors to", path)
