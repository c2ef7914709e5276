#!/bin/sh
# The container's commands (Dockerfile, compose.yaml); each also runs as it is without Docker:
#   serve          gunicorn with config/gunicorn.py (the default)
#   migrate        the release step: run the deploy checks (a warning stops it), apply
#                  migrations, make the image renditions a release added, publish static files
#                  to $QUIRE_PUBLISH_STATIC (the proxy's volume) when it is set
#   collectstatic  collect and compress static files (run once, at build)
#   anything else  run as given, e.g. `python manage.py ensure_admin`
set -eu
cd "$(dirname "$0")/.."

command="${1:-serve}"
[ "$#" -gt 0 ] && shift

case "$command" in
  serve)
    exec gunicorn -c config/gunicorn.py config.wsgi "$@"
    ;;
  migrate)
    # Before anything is changed: a warning here (a placeholder secret key, say) stops the
    # release, or the site would go live on it.
    python manage.py check --deploy --fail-level WARNING
    python manage.py migrate --noinput
    # Only what is missing (imagekit remembers what exists): images uploaded before a release
    # that added a rendition must not point at files never made.
    python manage.py generateimages blog
    if [ -n "${QUIRE_PUBLISH_STATIC:-}" ]; then
      # Copied over, never replaced: pages cached before this release still name the old files.
      cp -R "${DJANGO_STATIC_ROOT:-staticfiles}/." "$QUIRE_PUBLISH_STATIC/"
      echo "Static files published to $QUIRE_PUBLISH_STATIC"
    fi
    ;;
  collectstatic)
    python manage.py collectstatic --noinput "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
