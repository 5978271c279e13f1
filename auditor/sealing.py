"""Sealing a run: the manifests of every site and of the run, and the signature, once its files are written.

Called by whatever finishes writing a run folder: an audit, ``auditor check`` and ``auditor report``.
"""

from __future__ import annotations

from pathlib import Path

from auditor.manifest import seal_site, site_pack_records, store_rule_packs, top_manifest, write_run_manifest
from auditor.signing import sign_manifest, signature_path


def seal_run(out_dir: Path, site_dirs: list[Path], pack_files: list[Path] | None, sign_key: Path | None) -> list[str]:
    """Write the manifests of a finished (or re-rendered, or re-checked) run and sign it; return notes for the user.

    With ``pack_files`` every site is sealed again recording those packs (copied into ``OUT/rules/``); then the run
    manifest is written. A signature is made with ``sign_key``; without one, an old signature (which cannot cover
    the files just rewritten) is removed, and the note says so.
    """
    packs = store_rule_packs(pack_files, out_dir) if pack_files is not None else None
    if packs is not None:
        for site_dir in site_dirs:
            seal_site(site_dir, packs=site_pack_records(packs, out_dir, site_dir))
    top = write_run_manifest(out_dir, packs=packs)
    if sign_key is not None:
        return [f"signed {top}: {sign_manifest(top, sign_key)}"]
    stale = signature_path(top_manifest(out_dir))
    if stale.is_file():
        stale.unlink()
        return [
            f"note: {out_dir} was signed; the signature cannot cover the files just rewritten and was removed "
            "(sign again with --sign-key)"
        ]
    return []
