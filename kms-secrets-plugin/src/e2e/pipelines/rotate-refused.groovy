// kmsRotate against a store without allowRotation: the dry run (plan) still works; apply: true fails before any
// write, naming the store and the setting. The runner counts the backend's write requests (none expected).
node {
    deleteDir()
    def planned = kmsRotate ref: '@REF_ROTATE_LOCKED@', generate: 'length=32'
    echo "E2E-PLAN ${planned}"
    echo 'E2E-APPLY-NEXT'
    kmsRotate ref: '@REF_ROTATE_LOCKED@', generate: 'length=32', apply: true
    echo 'E2E: the write was not refused'
}
