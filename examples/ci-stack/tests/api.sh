#!/bin/sh
# Black-box tests of the API from inside the stack, in TAP's style; exits 1 when any fails.
failed=0
ok() { echo "ok - $1"; }
not_ok() { echo "not ok - $1"; failed=1; }
visits() { echo "$1" | sed -n 's/.*"visits":\([0-9]*\).*/\1/p'; }

first=$(wget -qO- "$API/") && ok "GET / answers" || not_ok "GET / answers"
case $first in
  *"\"message\":\"$EXPECT_GREETING\""*) ok "greets with $EXPECT_GREETING" ;;
  *) not_ok "greets with $EXPECT_GREETING: got $first" ;;
esac

second=$(wget -qO- "$API/")
if [ -n "$(visits "$first")" ] && [ "$(visits "$second")" = $(($(visits "$first") + 1)) ]; then
  ok "the visit counter in PostgreSQL goes up by one"
else
  not_ok "the visit counter goes up by one: $first then $second"
fi
case $second in
  *'"cache":"hit"'*) ok "the second answer comes from the Redis cache" ;;
  *) not_ok "the second answer comes from the cache: $second" ;;
esac

if wget -qO- "$API/nothing-here" >/dev/null 2>&1; then not_ok "unknown paths answer 404"; else ok "unknown paths answer 404"; fi

exit $failed
