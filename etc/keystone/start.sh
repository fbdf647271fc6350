#!/bin/sh
# Keystone of docker-compose.yml: database, keys, schema, bootstrap, the cinder service user and the
# volumev3 service with its endpoints, then uwsgi in the foreground. Every step is safe to repeat, so the
# container can restart. Passwords come from the environment (docker-compose.yml sets defaults).
# NOT RUN in this project's CI (no Docker engine there); see docs/keystone.md.
set -eu

: "${KEYSTONE_ADMIN_PASSWORD:?}"
: "${CINDER_KEYSTONE_PASSWORD:?}"
: "${KEYSTONE_PUBLIC_URL:=http://127.0.0.1:5000/v3/}"
: "${KEYSTONE_INTERNAL_URL:=http://keystone:5000/v3/}"
: "${CINDER_PUBLIC_URL:=http://127.0.0.1:8776/v3/%(project_id)s}"
: "${CINDER_INTERNAL_URL:=http://cinder-api:8776/v3/%(project_id)s}"
: "${REGION:=RegionOne}"

rm -f /run/keystone-ready
PG=postgresql://cinder:cinder@postgres:5432
until psql "$PG/postgres" -qtc 'SELECT 1' >/dev/null 2>&1; do
    echo "keystone: waiting for PostgreSQL"; sleep 2
done
if [ -z "$(psql "$PG/postgres" -qtAc "SELECT 1 FROM pg_database WHERE datname = 'keystone'")" ]; then
    psql "$PG/postgres" -qc 'CREATE DATABASE keystone'
fi

mkdir -p /var/lib/keystone
[ -d /var/lib/keystone/fernet-keys ] || keystone-manage fernet_setup --keystone-user root --keystone-group root
[ -d /var/lib/keystone/credential-keys ] || keystone-manage credential_setup --keystone-user root --keystone-group root
keystone-manage db_sync
keystone-manage bootstrap --bootstrap-password "$KEYSTONE_ADMIN_PASSWORD" \
    --bootstrap-admin-url "$KEYSTONE_INTERNAL_URL" --bootstrap-internal-url "$KEYSTONE_INTERNAL_URL" \
    --bootstrap-public-url "$KEYSTONE_PUBLIC_URL" --bootstrap-region-id "$REGION"

# Serve first (in the background) so the openstack CLI can register the rest through the API.
uwsgi --plugin python3 --http-socket 0.0.0.0:5000 --wsgi-file /usr/bin/keystone-wsgi-public \
    --master --processes 2 --threads 4 --enable-threads --die-on-term --need-app \
    --add-header 'Connection: close' &
UWSGI=$!
trap 'kill -TERM $UWSGI' TERM INT
until curl -fsS http://127.0.0.1:5000/v3 >/dev/null 2>&1; do sleep 1; done

export OS_AUTH_URL=http://127.0.0.1:5000/v3 OS_IDENTITY_API_VERSION=3 OS_USERNAME=admin \
    OS_PASSWORD="$KEYSTONE_ADMIN_PASSWORD" OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default \
    OS_PROJECT_DOMAIN_NAME=Default OS_REGION_NAME="$REGION"
openstack project show service >/dev/null 2>&1 || openstack project create --domain Default service
openstack role show service >/dev/null 2>&1 || openstack role create service
if openstack user show cinder >/dev/null 2>&1; then
    openstack user set --password "$CINDER_KEYSTONE_PASSWORD" cinder
else
    openstack user create --domain Default --password "$CINDER_KEYSTONE_PASSWORD" cinder
fi
# Cinder's service user validates tokens ([keystone_authtoken]); admin + service as in Cinder's install guide.
openstack role add --project service --user cinder admin
openstack role add --project service --user cinder service
if ! openstack service show volumev3 >/dev/null 2>&1; then
    openstack service create --name cinderv3 --description "OpenStack Block Storage" volumev3
    openstack endpoint create --region "$REGION" volumev3 public "$CINDER_PUBLIC_URL"
    openstack endpoint create --region "$REGION" volumev3 internal "$CINDER_INTERNAL_URL"
    openstack endpoint create --region "$REGION" volumev3 admin "$CINDER_INTERNAL_URL"
fi
touch /run/keystone-ready   # the HEALTHCHECK waits for this: Cinder starts once its user exists
echo "keystone: ready on $KEYSTONE_PUBLIC_URL"
wait $UWSGI
