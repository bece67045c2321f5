export PYTHONPATH=/app-data/lib:$PYTHONPATH
export HOME=/tmp
cd /app-data
exec python -m gunicorn \
  --config /app-data/gunicorn.conf.py \
  app:app
