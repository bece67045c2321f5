#!/usr/bin/env python3
"""
Voice Pipeline Test Flask Application with OpenTelemetry
Provides HTTP endpoints for testing voice pipeline components
"""

from flask import Flask, jsonify, request
import os
import time
import logging
from datetime import datetime

# Import OpenTelemetry configuration
from otel_config import configure_otel, instrument_flask_app
from test_runner import VoicePipelineTest

# Configure logging
logging.basicConfig(
    level=logging.INFO,
    format='%(asctime)s - %(name)s - %(levelname)s - %(message)s'
)
logger = logging.getLogger(__name__)

# Configure OpenTelemetry
configure_otel("voice-pipeline-test")

# Initialize Flask app
app = Flask(__name__)

# Instrument Flask app with OpenTelemetry
instrument_flask_app(app)

# Configuration from environment
CONFIG = {
    'whisper_endpoint': os.getenv('WHISPER_ENDPOINT', 'http://whisper-nodeport.whisper:10300'),
    'ollama_endpoint': os.getenv('OLLAMA_ENDPOINT', 'http://ollama-gpu.ollama:11434'),
    'piper_endpoint': os.getenv('PIPER_ENDPOINT', 'http://piper-nodeport.piper:10200'),
    'ollama_model': os.getenv('OLLAMA_MODEL', 'qwen3:8b'),
    'audio_file_path': os.getenv('AUDIO_FILE_PATH', '/audio-data/test-audio.wav')
}

# Initialize test runner
test_runner = VoicePipelineTest(CONFIG)

@app.route('/health', methods=['GET'])
def health():
    """Health check endpoint"""
    return jsonify({
        'status': 'healthy',
        'timestamp': datetime.now().isoformat()
    }), 200

@app.route('/ready', methods=['GET'])
def ready():
    """Readiness check endpoint"""
    # Check if audio file exists
    if not os.path.exists(CONFIG['audio_file_path']):
        return jsonify({
            'status': 'not ready',
            'reason': 'Audio file not found',
            'timestamp': datetime.now().isoformat()
        }), 503
    
    return jsonify({
        'status': 'ready',
        'timestamp': datetime.now().isoformat()
    }), 200

@app.route('/config', methods=['GET'])
def get_config():
    """Return current configuration"""
    return jsonify(CONFIG), 200

@app.route('/test', methods=['POST'])
def run_test():
    """Run the voice pipeline test"""
    logger.info("Starting voice pipeline test")
    
    try:
        # Get optional parameters from request
        data = request.get_json() or {}
        timeout = data.get('timeout', 60)
        
        # Run the test
        results = test_runner.run_pipeline_test(timeout=timeout)
        
        logger.info(f"Test completed: {results.get('total_ms', 0):.2f}ms total")
        
        # Check for errors
        has_errors = len(results.get('errors', [])) > 0 or any(key.endswith('_error') for key in results.keys())
        status_code = 200 if not has_errors else 207  # 207 = Multi-Status
        
        return jsonify({
            'success': not has_errors,
            'results': results,
            'timestamp': datetime.now().isoformat()
        }), status_code
        
    except Exception as e:
        logger.error(f"Test failed: {str(e)}")
        return jsonify({
            'success': False,
            'error': str(e),
            'timestamp': datetime.now().isoformat()
        }), 500

@app.route('/test/summary', methods=['GET'])
def get_last_summary():
    """Get summary of last test run"""
    last_results = test_runner.get_last_results()
    if last_results:
        return jsonify(last_results), 200
    return jsonify({'message': 'No test results available'}), 404

@app.route('/metrics', methods=['GET'])
def metrics():
    """Prometheus-compatible metrics endpoint"""
    metrics_text = test_runner.get_prometheus_metrics()
    return metrics_text, 200, {'Content-Type': 'text/plain'}

if __name__ == '__main__':
    port = int(os.getenv('PORT', 8080))
    app.run(host='0.0.0.0', port=port)
