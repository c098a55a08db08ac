//! What a Nixpacks build prints, for the build phase of a deployment script: the plan,
//! the banner box, the generated Dockerfile and BuildKit's `--progress plain` output.

use super::{FailKind, ScriptCtx};
use crate::sim::ids::IdGen;

/// `nixpacks plan -f json`; `with_coolify_vars` adds the variables Coolify sets for the build.
pub(super) fn plan_json(ctx: &ScriptCtx, with_coolify_vars: bool) -> String {
    let mut vars = serde_json::Map::new();
    vars.insert("CI".into(), "true".into());
    if with_coolify_vars {
        vars.insert("COOLIFY_BRANCH".into(), ctx.branch.clone().into());
        vars.insert("COOLIFY_RESOURCE_UUID".into(), ctx.app_uuid.clone().into());
    }
    vars.insert("NIXPACKS_METADATA".into(), "node".into());
    vars.insert(
        "NIXPACKS_NODE_VERSION".into(),
        ctx.node_version.clone().into(),
    );
    vars.insert("NODE_ENV".into(), "production".into());
    vars.insert("NPM_CONFIG_PRODUCTION".into(), "false".into());
    if with_coolify_vars {
        vars.insert("SOURCE_COMMIT".into(), ctx.commit.clone().into());
    }
    let plan = serde_json::json!({
        "providers": [],
        "buildImage": "ghcr.io/railwayapp/nixpacks:ubuntu-1745885067",
        "variables": vars,
        "phases": {
            "build": {
                "dependsOn": ["install"],
                "cmds": ["npm run build"],
                "cacheDirectories": [".next/cache", "node_modules/.cache"]
            },
            "install": {
                "dependsOn": ["setup"],
                "cmds": ["npm ci"],
                "cacheDirectories": ["/root/.npm"],
                "paths": ["/app/node_modules/.bin"]
            },
            "setup": {
                "nixPkgs": [format!("nodejs_{}", ctx.node_version), "npm-9_x"],
                "nixLibs": ["gcc-unwrapped"],
                "nixOverlays": ["https://github.com/railwayapp/nix-npm-overlay/archive/main.tar.gz"],
                "nixpkgsArchive": "e24b4c09e963677b1beea49d411cd315a024ad3a"
            }
        },
        "start": {"cmd": "npm run start"}
    });
    serde_json::to_string_pretty(&plan).unwrap_or_default()
}

/// The banner `nixpacks build` prints.
pub(super) fn banner(ctx: &ScriptCtx) -> String {
    let width = 78usize;
    let title = " Nixpacks v1.39.0 ";
    let left = (width - title.chars().count()) / 2;
    let right = width - title.chars().count() - left;
    let rows = [
        ("setup", format!("nodejs_{}, npm-9_x", ctx.node_version)),
        ("install", "npm ci".to_string()),
        ("build", "npm run build".to_string()),
        ("start", "npm run start".to_string()),
    ];
    let mut s = format!("╔{}{title}{}╗\n", "═".repeat(left), "═".repeat(right));
    for (i, (phase, text)) in rows.iter().enumerate() {
        let cell = format!(" {phase:<10} │ {text}");
        let pad = width.saturating_sub(cell.chars().count());
        s.push_str(&format!("║{cell}{}║\n", " ".repeat(pad)));
        if i + 1 < rows.len() {
            s.push_str(&format!("║{}║\n", "─".repeat(width)));
        }
    }
    s.push_str(&format!("╚{}╝", "═".repeat(width)));
    s
}

/// The Dockerfile `nixpacks build` writes.
pub(super) fn dockerfile(ctx: &ScriptCtx) -> String {
    let app = &ctx.app_uuid;
    format!(
        "FROM ghcr.io/railwayapp/nixpacks:ubuntu-1745885067\n\nENTRYPOINT [\"/bin/bash\", \"-l\", \"-c\"]\nWORKDIR /app/\n\n\nCOPY .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix\nRUN nix-env -if .nixpacks/nixpkgs-e24b4c09e963677b1beea49d411cd315a024ad3a.nix && nix-collect-garbage -d\n\n\nARG CI COOLIFY_BRANCH COOLIFY_RESOURCE_UUID NIXPACKS_METADATA NIXPACKS_NODE_VERSION NODE_ENV NPM_CONFIG_PRODUCTION SOURCE_COMMIT\nENV CI=$CI COOLIFY_BRANCH=$COOLIFY_BRANCH COOLIFY_RESOURCE_UUID=$COOLIFY_RESOURCE_UUID NIXPACKS_METADATA=$NIXPACKS_METADATA NIXPACKS_NODE_VERSION=$NIXPACKS_NODE_VERSION NODE_ENV=$NODE_ENV NPM_CONFIG_PRODUCTION=$NPM_CONFIG_PRODUCTION SOURCE_COMMIT=$SOURCE_COMMIT\n\n# setup phase\n# noop\n\n# install phase\nENV NIXPACKS_PATH=/app/node_modules/.bin:$NIXPACKS_PATH\nCOPY . /app/.\nRUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci\n\n# build phase\nCOPY . /app/.\nRUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n\n\nRUN printf '\\nPATH=/app/node_modules/.bin:$PATH' >> /root/.profile\n\n\n# start\nCOPY . /app\n\nCMD [\"npm run start\"]"
    )
}

/// BuildKit `--progress plain` output (stderr) in chunks; on failure also the error tail.
pub(super) fn buildkit_output(
    ctx: &ScriptCtx,
    image: &str,
    rng: &mut IdGen,
) -> (Vec<(String, bool, u64)>, Option<String>) {
    let app = ctx.app_uuid.clone();
    let force = ctx.force;
    let nix = "e24b4c09e963677b1beea49d411cd315a024ad3a";
    let mut chunks: Vec<(String, bool, u64)> = Vec::new();
    chunks.push((
        format!(
            "#0 building with \"default\" instance using docker driver\n\n#1 [internal] load build definition from Dockerfile\n#1 transferring dockerfile: 1.61kB done\n#1 DONE 0.0s\n\n#2 [internal] load metadata for ghcr.io/railwayapp/nixpacks:ubuntu-1745885067\n#2 DONE 0.{}s\n\n#3 [internal] load .dockerignore\n#3 transferring context: 2B done\n#3 DONE 0.0s",
            3 + rng.range(0..6)
        ),
        true,
        0,
    ));
    chunks.push((
        format!(
            "#4 [stage-0  1/11] FROM ghcr.io/railwayapp/nixpacks:ubuntu-1745885067@sha256:{}\n#4 DONE 0.0s\n\n#5 [internal] load build context\n#5 transferring context: {}.{}MB 0.1s done\n#5 DONE 0.1s",
            rng.hex(64),
            2 + rng.range(0..5),
            rng.range(10..99)
        ),
        true,
        300,
    ));
    if force {
        chunks.push((
            format!(
                "#6 [stage-0  2/11] WORKDIR /app/\n#6 DONE 0.1s\n\n#7 [stage-0  3/11] COPY .nixpacks/nixpkgs-{nix}.nix .nixpacks/nixpkgs-{nix}.nix\n#7 DONE 0.1s\n\n#8 [stage-0  4/11] RUN nix-env -if .nixpacks/nixpkgs-{nix}.nix && nix-collect-garbage -d\n#8 0.402 unpacking 'https://github.com/NixOS/nixpkgs/archive/{nix}.tar.gz' into the Git cache...\n#8 38.11 installing '{nix}-env'\n#8 41.02 building '/nix/store/{}-user-environment.drv'...\n#8 44.90 removing old generations of profile /nix/var/nix/profiles/per-user/root/profile\n#8 45.33 finding garbage collector roots...\n#8 45.80 deleting unused links...\n#8 46.10 1022 store paths deleted, 262.14 MiB freed\n#8 DONE 46.8s\n\n#9 [stage-0  5/11] COPY . /app/.\n#9 DONE 0.2s",
                rng.alnum(32)
            ),
            true,
            1400,
        ));
    } else {
        chunks.push((
            format!(
                "#6 [stage-0  2/11] WORKDIR /app/\n#6 CACHED\n\n#7 [stage-0  3/11] COPY .nixpacks/nixpkgs-{nix}.nix .nixpacks/nixpkgs-{nix}.nix\n#7 CACHED\n\n#8 [stage-0  4/11] RUN nix-env -if .nixpacks/nixpkgs-{nix}.nix && nix-collect-garbage -d\n#8 CACHED\n\n#9 [stage-0  5/11] COPY . /app/.\n#9 DONE 0.2s"
            ),
            true,
            400,
        ));
    }
    let npm_ci_head = format!(
        "#10 [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci"
    );
    if ctx.fail == Some(FailKind::NpmCi) {
        let ts = ctx.started.plus_ms(6_000).iso().replace([':', '.'], "_");
        let lines = [
            "npm ERR! code EUSAGE",
            "npm ERR! ",
            "npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.",
            "npm ERR! ",
            "npm ERR! Missing: zod@3.23.8 from lock file",
            "npm ERR! ",
            "npm ERR! Clean install a project",
            "npm ERR! ",
            "npm ERR! Usage:",
            "npm ERR! npm ci",
            "npm ERR! ",
            "npm ERR! Options:",
            "npm ERR! [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]",
            "npm ERR! [--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]",
            "npm ERR! [--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]",
            "npm ERR! [--no-bin-links] [--no-fund] [--dry-run]",
            "npm ERR! ",
            "npm ERR! aliases: clean-install, ic, install-clean, isntall-clean",
            "npm ERR! ",
            "npm ERR! Run \"npm help ci\" for more info",
        ];
        let mut body: Vec<String> = lines.iter().map(|l| format!("#10 1.403 {l}")).collect();
        body.push("#10 1.406 ".to_string());
        body.push(format!(
            "#10 1.406 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/{ts}-debug-0.log"
        ));
        body.push("#10 ERROR: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1".to_string());
        let tail = format!(
            "{}\n------\n > [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci:\n1.403 npm ERR! Missing: zod@3.23.8 from lock file\n1.403 npm ERR! \n1.403 npm ERR! Run \"npm help ci\" for more info\n1.406 \n1.406 npm ERR! A complete log of this run can be found in: /root/.npm/_logs/{ts}-debug-0.log\n------\nDockerfile:18\n--------------------\n  16 |     ENV NIXPACKS_PATH=/app/node_modules/.bin:$NIXPACKS_PATH\n  17 |     COPY . /app/.\n  18 | >>> RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci\n  19 |     \n  20 |     # build phase\n--------------------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1",
            body.join("\n")
        );
        chunks.push((format!("{npm_ci_head}\n{}", body.join("\n")), true, 900));
        chunks.push((
            format!("------\n > [stage-0  6/11] RUN --mount=type=cache,id={app}-/root/npm,target=/root/.npm npm ci:\n1.403 npm ERR! Missing: zod@3.23.8 from lock file\n------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm ci\" did not complete successfully: exit code: 1"),
            true,
            200,
        ));
        return (chunks, Some(tail));
    }
    let added = 420 + rng.range(0..160);
    chunks.push((
        format!(
            "{npm_ci_head}\n#10 2.153 npm WARN deprecated inflight@1.0.6: This module is not supported, and leaks memory. Do not use it. Check out lru-cache if you want a good and tested way to coalesce async requests by a key value, which is much more comprehensive and powerful.\n#10 2.410 npm WARN deprecated rimraf@3.0.2: Rimraf versions prior to v4 are no longer supported\n#10 2.611 npm WARN deprecated glob@7.2.3: Glob versions prior to v9 are no longer supported\n#10 3.020 npm WARN deprecated @humanwhocodes/object-schema@2.0.3: Use @eslint/object-schema instead\n#10 3.021 npm WARN deprecated @humanwhocodes/config-array@0.11.14: Use @eslint/config-array instead"
        ),
        true,
        900,
    ));
    chunks.push((
        format!(
            "#10 14.87 \n#10 14.87 added {added} packages, and audited {} packages in 14s\n#10 14.87 \n#10 14.87 162 packages are looking for funding\n#10 14.87   run `npm fund` for details\n#10 14.89 \n#10 14.89 found 0 vulnerabilities\n#10 DONE 15.3s\n\n#11 [stage-0  7/11] COPY . /app/.\n#11 DONE 0.2s",
            added + 1
        ),
        true,
        1000,
    ));
    let pkg = format!("{}@{}", ctx.package, ctx.package_version);
    chunks.push((
        format!(
            "#12 [stage-0  8/11] RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n#12 0.512 \n#12 0.512 > {pkg} build\n#12 0.512 > next build\n#12 0.512 \n#12 1.203   ▲ Next.js 14.2.15\n#12 1.204 \n#12 1.251    Creating an optimized production build ..."
        ),
        true,
        700,
    ));
    if ctx.fail == Some(FailKind::TypeScript) {
        let error = [
            "Failed to compile.",
            "",
            "./src/app/(dashboard)/bookings/page.tsx:42:37",
            "Type error: Property 'startsAt' does not exist on type 'Booking'. Did you mean 'startAt'?",
            "",
            "  40 |       {bookings.map((booking) => (",
            "  41 |         <BookingRow key={booking.id}",
            "> 42 |           start={formatDate(booking.startsAt)}",
            "     |                                     ^",
            "  43 |           end={formatDate(booking.endAt)}",
            "  44 |         />",
            "  45 |       ))}",
            "Next.js build worker exited with code: 1 and signal: null",
        ];
        let body: Vec<String> = error
            .iter()
            .enumerate()
            .map(|(i, l)| format!("#12 38.{} {l}", 77 + i))
            .collect();
        chunks.push((
            format!(
                "#12 36.91  ✓ Compiled successfully\n#12 36.92    Linting and checking validity of types ...\n{}\n#12 ERROR: process \"/bin/bash -ol pipefail -c npm run build\" did not complete successfully: exit code: 1",
                body.join("\n")
            ),
            true,
            2600,
        ));
        let tail = format!(
            "------\n > [stage-0  8/11] RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build:\n38.77 ./src/app/(dashboard)/bookings/page.tsx:42:37\n38.77 Type error: Property 'startsAt' does not exist on type 'Booking'. Did you mean 'startAt'?\n38.77 \n38.77   40 |       {{bookings.map((booking) => (\n38.77   41 |         <BookingRow key={{booking.id}}\n38.77 > 42 |           start={{formatDate(booking.startsAt)}}\n38.77      |                                     ^\n38.77   43 |           end={{formatDate(booking.endAt)}}\n38.89 Next.js build worker exited with code: 1 and signal: null\n------\nDockerfile:22\n--------------------\n  20 |     # build phase\n  21 |     COPY . /app/.\n  22 | >>> RUN --mount=type=cache,id={app}-next/cache,target=/app/.next/cache --mount=type=cache,id={app}-node_modules/cache,target=/app/node_modules/.cache npm run build\n  23 |     \n  24 |     \n--------------------\nERROR: failed to solve: process \"/bin/bash -ol pipefail -c npm run build\" did not complete successfully: exit code: 1"
        );
        chunks.push((tail.clone(), true, 150));
        return (chunks, Some(tail));
    }
    let pages = 14 + rng.range(0..12);
    chunks.push((
        format!(
            "#12 36.91  ✓ Compiled successfully\n#12 36.92    Linting and checking validity of types ...\n#12 47.10    Collecting page data ...\n#12 50.33    Generating static pages (0/{pages}) ...\n#12 51.02    Generating static pages ({}/{pages}) \n#12 52.02  ✓ Generating static pages ({pages}/{pages})\n#12 52.60    Finalizing page optimization ...\n#12 52.61    Collecting build traces ...",
            pages / 2
        ),
        true,
        1800,
    ));
    let table = [
        "Route (app)                              Size     First Load JS",
        "┌ ○ /                                    5.21 kB        98.4 kB",
        "├ ○ /_not-found                          873 B          88.1 kB",
        "├ ƒ /api/health                          0 B                0 B",
        "├ ƒ /bookings                            3.9 kB          112 kB",
        "├ ƒ /bookings/[id]                       2.31 kB         109 kB",
        "├ ○ /login                               1.86 kB         101 kB",
        "└ ƒ /settings                            4.02 kB         110 kB",
        "+ First Load JS shared by all            87.2 kB",
        "  ├ chunks/117-2f5f0b3c1a4e8d77.js       31.7 kB",
        "  ├ chunks/fd9d1056-96bb8cd7fa4e0c5d.js  53.6 kB",
        "  └ other shared chunks (total)          1.9 kB",
        "",
        "",
        "ƒ Middleware                             73.4 kB",
        "",
        "○  (Static)   prerendered as static content",
        "ƒ  (Dynamic)  server-rendered on demand",
        "",
    ];
    let mut t: Vec<String> = vec!["#12 59.90 ".to_string()];
    t.extend(table.iter().map(|l| format!("#12 59.93 {l}")));
    t.push("#12 DONE 60.3s".to_string());
    chunks.push((t.join("\n"), true, 800));
    chunks.push((
        format!(
            "#13 [stage-0  9/11] RUN printf '\\nPATH=/app/node_modules/.bin:$PATH' >> /root/.profile\n#13 DONE 0.2s\n\n#14 [stage-0 10/11] COPY . /app\n#14 DONE 0.3s\n\n#15 exporting to image\n#15 exporting layers\n#15 exporting layers 6.1s done\n#15 writing image sha256:{} done\n#15 naming to docker.io/library/{image} done\n#15 DONE 6.2s",
            rng.hex(64)
        ),
        true,
        900,
    ));
    (chunks, None)
}
