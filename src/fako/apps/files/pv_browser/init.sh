set -e
DB=/config/filebrowser.db
if [ ! -f "$DB" ]; then
  filebrowser -d "$DB" config init
  filebrowser -d "$DB" users add admin "$FB_ADMIN_PASSWORD" --perm.admin
else
  filebrowser -d "$DB" users update admin --password "$FB_ADMIN_PASSWORD" || true
fi
# Read-only everywhere, every time — re-applied on each start so a
# UI change cannot quietly grant write access.
filebrowser -d "$DB" config set --auth.method=json --branding.name="PV Browser" \
  --perm.create=false --perm.delete=false --perm.rename=false --perm.modify=false
filebrowser -d "$DB" users update admin \
  --perm.create=false --perm.delete=false --perm.rename=false --perm.modify=false
