// Copies a wasmlens build into server/, where a platform .vsix carries it
// (`npm run package:linux-x64`). The binary is the release build of this
// checkout unless WASMLENS_BUNDLE names another.
import { copyFileSync, chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = process.env.WASMLENS_BUNDLE ?? resolve(here, "../../../target/release/wasmlens");
if (!existsSync(source)) {
  console.error(`error: no server binary at ${source}; run \`cargo build --release -p wasmlens\` first, or set WASMLENS_BUNDLE`);
  process.exit(1);
}
const target = join(here, "..", "server", "wasmlens");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
chmodSync(target, 0o755);
console.log(`bundled ${source} as server/wasmlens`);
