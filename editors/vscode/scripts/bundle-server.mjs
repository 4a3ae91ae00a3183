// Copies a wasmlens build into server/, where a platform .vsix carries it
// (`npm run package:linux-x64`). The binary is the release build of this
// checkout unless WASMLENS_BUNDLE names another. With --remove it deletes
// server/ instead, so the universal .vsix never carries a binary left from
// an earlier platform build.
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const folder = join(here, "..", "server");
if (process.argv.includes("--remove")) {
  rmSync(folder, { recursive: true, force: true });
  process.exit(0);
}
const source = process.env.WASMLENS_BUNDLE ?? resolve(here, "../../../target/release/wasmlens");
if (!existsSync(source)) {
  console.error(`error: no server binary at ${source}; run \`cargo build --release -p wasmlens\` first, or set WASMLENS_BUNDLE`);
  process.exit(1);
}
const target = join(folder, "wasmlens");
mkdirSync(folder, { recursive: true });
copyFileSync(source, target);
chmodSync(target, 0o755);
console.log(`bundled ${source} as server/wasmlens`);
