# Create user with credentials from secret
USERNAME="$SFTP_USERS"
PASSWORD="$SFTP_PASSWORD"

# Create user with UID 1001, home directory, and bash shell
adduser -D -u 1001 -h /home/${USERNAME} -s /bin/bash ${USERNAME}
echo "${USERNAME}:${PASSWORD}" | chpasswd

# Add user to group 988 for audio file access
addgroup -g 988 audiogroup || true
addgroup ${USERNAME} audiogroup || true

# Create audio directory symlink
mkdir -p /home/${USERNAME}/audio

# Set up SSH host keys persistence
mkdir -p /etc/ssh/keys
if [ ! -f /etc/ssh/keys/ssh_host_rsa_key ]; then
  ssh-keygen -t rsa -f /etc/ssh/keys/ssh_host_rsa_key -N ''
fi
if [ ! -f /etc/ssh/keys/ssh_host_ed25519_key ]; then
  ssh-keygen -t ed25519 -f /etc/ssh/keys/ssh_host_ed25519_key -N ''
fi

# Configure sshd
cat > /etc/ssh/sshd_config <<EOF
Port 22
Protocol 2
HostKey /etc/ssh/keys/ssh_host_rsa_key
HostKey /etc/ssh/keys/ssh_host_ed25519_key

# Security settings
PermitRootLogin no
PubkeyAuthentication yes
PasswordAuthentication yes
PermitEmptyPasswords no
ChallengeResponseAuthentication no
UsePAM yes

# SFTP subsystem
Subsystem sftp internal-sftp

# Logging
SyslogFacility AUTH
LogLevel INFO

# Performance
ClientAliveInterval 30
ClientAliveCountMax 3
EOF

# Set correct permissions
chmod 600 /etc/ssh/keys/*
chmod 755 /home/${USERNAME}
chown -R ${USERNAME}:${USERNAME} /home/${USERNAME}

# Start SSH daemon
exec /usr/sbin/sshd -D -e
