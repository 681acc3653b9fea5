#!/bin/sh
# The ./jbang launcher's tests, in TAP for verify: it works from any folder and from a folder
# whose name has spaces, passes arguments through untouched (quotes, spaces, $), returns the
# script's exit code, and finds a JDK 25 when JAVA_HOME names an older one.
# Run from the course's root: sh course/test/launcher-test.sh
set -u

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd -P)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/launcher test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
number=0
failed=0

ok() {
  number=$((number + 1))
  echo "ok $number - $1"
}

not_ok() {
  number=$((number + 1))
  failed=$((failed + 1))
  echo "not ok $number - $1"
  printf '%s\n' "$2" | sed 's/^/  /'
}

# A script that prints its JDK's feature release, then each argument on its own line, and
# exits with the code in EXIT_WITH (0 if unset).
mkdir -p "$WORK/a folder"
cat > "$WORK/a folder/Args.java" <<'EOF'
//JAVA 25+
class Args {
    public static void main(String[] args) {
        System.out.println("java " + Runtime.version().feature());
        for (String arg : args) System.out.println("[" + arg + "]");
        System.exit(Integer.parseInt(System.getenv().getOrDefault("EXIT_WITH", "0")));
    }
}
EOF

# 1. Arguments arrive as they were typed.
out=$(cd "$WORK" && "$ROOT/jbang" "a folder/Args.java" "two words" "it's" '$HOME' '' 'a"b' 2>&1)
expected='java 25
[two words]
[it'"'"'s]
[$HOME]
[]
[a"b]'
got=$(printf '%s\n' "$out" | grep -v '^\[jbang\]' | grep -v '^\./jbang:')
if [ "$got" = "$expected" ]; then ok "arguments with spaces, quotes, \$ and empty ones arrive untouched"
else not_ok "arguments with spaces, quotes, \$ and empty ones arrive untouched" "got:
$out"; fi

# 2. The script's exit code is the launcher's.
(cd "$WORK" && EXIT_WITH=3 "$ROOT/jbang" "a folder/Args.java" >/dev/null 2>&1)
code=$?
if [ "$code" -eq 3 ]; then ok "the script's exit code (3) is the launcher's"
else not_ok "the script's exit code (3) is the launcher's" "exit code $code"; fi

# 3. The course's commands work from a folder outside the course.
out=$(cd "$WORK" && "$ROOT/jbang" check --help 2>&1)
code=$?
if [ "$code" -eq 0 ] && printf '%s' "$out" | grep -q 'Usage: course check'; then
  ok "./jbang check works from a folder outside the course"
else not_ok "./jbang check works from a folder outside the course" "exit code $code:
$out"; fi

# 4. ... and from a folder inside it.
out=$(cd "$ROOT/lessons" && ../jbang hint --help 2>&1)
code=$?
if [ "$code" -eq 0 ] && printf '%s' "$out" | grep -q 'Usage: course hint'; then
  ok "../jbang hint works from lessons/"
else not_ok "../jbang hint works from lessons/" "exit code $code:
$out"; fi

# 5. A course in a folder whose name has spaces (a copy of the launcher and its JBang).
if [ -d "$ROOT/.bootstrap" ]; then
  mkdir -p "$WORK/my course/.bootstrap"
  cp "$ROOT/jbang" "$WORK/my course/jbang"
  cp -R "$ROOT"/.bootstrap/jbang-* "$WORK/my course/.bootstrap/" 2>/dev/null
  rm -f "$WORK/my course/.bootstrap/"*.jsa
  out=$(cd "$WORK" && "$WORK/my course/jbang" "a folder/Args.java" "x y" 2>&1)
  out2=$(cd "$WORK" && "$WORK/my course/jbang" "a folder/Args.java" "x y" 2>&1)
  if printf '%s' "$out2" | grep -qx '\[x y\]' && [ -f "$WORK/my course/.bootstrap/jbang-0.132.1.jsa" ]; then
    ok "a course in a folder with spaces runs, and its class-data archive is made and used"
  else not_ok "a course in a folder with spaces runs, and its class-data archive is made and used" "first run:
$out
second run:
$out2"; fi
else
  ok "a course in a folder with spaces runs # SKIP no .bootstrap/ (JBang is installed on the PATH)"
fi

# 6. A JAVA_HOME older than 25 does not stop it: the launcher finds a JDK 25.
old=""
for home in /usr/lib/jvm/*; do
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null)
  if [ -n "$major" ] && [ "$major" -lt 25 ] && [ -x "$home/bin/java" ]; then old=$home; break; fi
done
if [ -n "$old" ]; then
  out=$(cd "$WORK" && JAVA_HOME=$old "$ROOT/jbang" "a folder/Args.java" 2>&1)
  if printf '%s' "$out" | grep -qx 'java 2[5-9]'; then ok "with JAVA_HOME=$old (older), a JDK 25+ runs the script"
  else not_ok "with JAVA_HOME=$old (older), a JDK 25+ runs the script" "$out"; fi
else
  ok "with an older JAVA_HOME, a JDK 25+ runs the script # SKIP no older JDK in /usr/lib/jvm"
fi

# 7. A name that is neither a file nor an alias fails with JBang's message, not silently.
out=$(cd "$WORK" && "$ROOT/jbang" no-such-alias-here 2>&1)
code=$?
if [ "$code" -ne 0 ] && printf '%s' "$out" | grep -q 'could not be found'; then
  ok "an unknown name fails (exit code $code) and says so"
else not_ok "an unknown name fails and says so" "exit code $code:
$out"; fi

echo "1..$number"
[ "$failed" -eq 0 ]
